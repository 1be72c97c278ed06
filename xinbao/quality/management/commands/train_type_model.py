"""python manage.py train_type_model — train the type suggestion on demo items and measure it on held-out ones."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from xinbao.quality.suggest import TEST_PLACES, TRAIN_PLACES, Model, demo_samples


class Command(BaseCommand):
    help = "Train the item type suggestion (naive Bayes on jieba words) and record its held-out accuracy."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--train", type=int, default=1600)
        parser.add_argument("--test", type=int, default=400)

    def handle(self, *args: Any, **options: Any) -> None:
        train = demo_samples(2026, options["train"], TRAIN_PLACES)
        test = demo_samples(7, options["test"], TEST_PLACES)
        model = Model.train(train)
        right = sum(model.predict(text)[0] == label for text, label in test)
        model.accuracy = round(right / len(test), 4)
        model.test_size = len(test)
        model.save()
        self.stdout.write(
            f"held-out accuracy {model.accuracy:.4f} on {len(test)} items ({len(train)} trained)"
        )
