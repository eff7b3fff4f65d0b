"""HTTP only: routers, request/response schemas, dependencies, middleware. No business logic."""
