def pytest_configure(config):
    config.addinivalue_line(
        "markers", "worker: starts real `manage.py db_worker` subprocesses (runs in the normal suite, ~15 s)"
    )
