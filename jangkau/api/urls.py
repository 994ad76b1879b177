from ninja import NinjaAPI

api = NinjaAPI(title="Jangkau API", version="1", urls_namespace="api")
