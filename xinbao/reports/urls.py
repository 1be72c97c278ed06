from xinbao.reports.urls_items import urlpatterns as item_urls
from xinbao.reports.urls_review import urlpatterns as review_urls

app_name = "reports"

urlpatterns = item_urls + review_urls
