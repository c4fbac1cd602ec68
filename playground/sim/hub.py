"""The Hub's API as the SDK and the app use it: list models, model info, whoami, tasks.

`model_info(expand=["inferenceProviderMapping"])` answers only `_id`, `id` and the mapping in
its dict form; `list_models` gives the list form (both as recorded / as `hf_api.py` parses them).
`list_models(inference_provider=...)` lists models with a *live* mapping for one of the providers.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from . import served
from .answers import stable_hash
from .handlers import faultable
from .records import credential
from .state import sim_state

LIST_FIELDS = ("_id", "id", "likes", "trendingScore", "private", "downloads", "tags", "pipeline_tag",
               "library_name", "createdAt", "modelId")


def _values(request: Request, key: str) -> list[str]:
    """A repeated or comma-joined query parameter (`expand` also as `expand[]`)."""
    raw = request.query_params.getlist(key) + request.query_params.getlist(f"{key}[]")
    return [v.strip() for value in raw for v in value.split(",") if v.strip()]


def _field(found: dict[str, Any], name: str, as_list: bool) -> Any:
    if name == "inferenceProviderMapping":
        rows = served.mappings(found["id"])
        if as_list:
            return rows
        return {r["provider"]: {k: v for k, v in r.items() if k != "provider"} for r in rows}
    if name == "modelId":
        return found["id"]
    if name == "author":
        return found["id"].split("/", 1)[0]
    if name == "inference":
        return "warm" if served.mapping_status(found["id"], "hf-inference") == "live" else None
    defaults = {"private": False, "gated": False, "disabled": False, "trendingScore": found["likes"] // 40,
                "lastModified": found["createdAt"], "sha": f"{stable_hash(found['id']):016x}" * 2 + "00000000"}
    return found.get(name, defaults.get(name))


def _item(found: dict[str, Any], expand: list[str], fields: tuple[str, ...], as_list: bool) -> dict[str, Any]:
    names = ("_id", "id", *expand) if expand else fields
    item = {name: _field(found, name, as_list) for name in names}
    return {k: v for k, v in item.items() if v is not None}


def _served_by(found: dict[str, Any], providers: list[str]) -> bool:
    live = {r["provider"] for r in served.mappings(found["id"]) if r["status"] == "live"}
    return bool(live) if "all" in providers else bool(live & set(providers))


@faultable("hub")
async def list_models(request: Request) -> Response:
    params = request.query_params
    providers = _values(request, "inference_provider")
    search = (params.get("search") or "").lower()
    author = params.get("author")
    tags = _values(request, "filter")
    found = [m for m in served.MODELS
             if (not providers or _served_by(m, providers))
             and params.get("pipeline_tag") in (None, m["pipeline_tag"])
             and search in m["id"].lower()
             and (author is None or m["id"].startswith(f"{author}/"))
             and all(t in m["tags"] or t == m["pipeline_tag"] for t in tags)]
    if params.get("sort") in ("downloads", "likes", "createdAt"):
        found.sort(key=lambda m: m[params["sort"]], reverse=params.get("direction") != "1")
    limit = int(params["limit"]) if params.get("limit", "").isdigit() else None
    found = found[:limit] if limit is not None else found
    offset = int(params["cursor"]) if params.get("cursor", "").isdigit() else 0
    size = sim_state(request).config.hub_page_size
    page = found[offset : offset + size]
    expand = _values(request, "expand")
    body = [_item(m, expand, LIST_FIELDS, as_list=True) for m in page]
    headers = {}
    if offset + size < len(found):
        query = [(k, v) for k, v in params.multi_items() if k != "cursor"] + [("cursor", str(offset + size))]
        headers["Link"] = f'<{request.url.replace(query=urlencode(query))}>; rel="next"'
    return JSONResponse(body, headers=headers)


@faultable("hub")
async def model_info(request: Request) -> Response:
    repo_id = request.path_params["repo_id"].split("/revision/", 1)[0]
    if repo_id in served.ALIASES:
        target = f"/api/models/{served.ALIASES[repo_id]}"
        return PlainTextResponse(f"Temporary Redirect. Redirecting to {target}", status_code=307,
                                 headers={"Location": target + (f"?{request.url.query}" if request.url.query else "")})
    found = served.model(repo_id)
    if found is None:
        return JSONResponse({"error": "Repository not found"}, status_code=404,
                            headers={"X-Error-Code": "RepoNotFound", "X-Error-Message": "Repository not found"})
    expand = _values(request, "expand")
    full = ("_id", "id", "private", "pipeline_tag", "library_name", "tags", "downloads", "likes", "modelId",
            "author", "sha", "lastModified", "gated", "disabled", "createdAt", "inference")
    return JSONResponse(_item(found, expand, full, as_list=False))


def _whoami_body(secret: str) -> dict[str, Any]:
    return {
        "type": "user", "id": "65f0c0ffee0000000000d3m0", "name": "demo-user", "fullname": "Demo User",
        "email": "demo-user@example.com", "emailVerified": True, "canPay": "nocredit" not in secret,
        "isPro": False, "periodEnd": None, "avatarUrl": "/avatars/demo-user.svg", "orgs": [],
        "auth": {"type": "access_token", "accessToken": {
            "displayName": "playground-demo", "role": "fineGrained", "createdAt": "2025-01-01T00:00:00.000Z",
            "fineGrained": {"canReadGatedRepos": True, "global": ["inference.serverless.write"], "scoped": []}}},
    }


@faultable("hub")
async def whoami(request: Request) -> Response:
    secret = credential(request.headers)
    if not secret or not secret.startswith("hf_") or "invalid" in secret:
        message = "Invalid credentials in Authorization header"
        return JSONResponse({"error": message}, status_code=401, headers={"X-Error-Message": message})
    return JSONResponse(_whoami_body(secret))


@faultable("hub")
async def agent_harnesses(request: Request) -> Response:
    # huggingface_hub 2.4.0 reads this as a dict (`_detect_agent.Registry`) and caches it on disk for a day:
    # an empty list would break every later request's user-agent, so answer its "empty registry" shape.
    return JSONResponse({"standardEnvVars": [], "harnesses": {}})


@faultable("hub")
async def tasks(request: Request) -> Response:
    """Per task, the hf-inference models the SDK may pick when none is given (`widgetModels`)."""
    body: dict[str, Any] = {}
    for found in served.MODELS:
        for row in served.mappings(found["id"]):
            if row["provider"] == "hf-inference" and row["status"] == "live":
                task = body.setdefault(row["task"], {"id": row["task"], "label": row["task"].replace("-", " ").title(),
                                                     "widgetModels": [], "models": []})
                task["widgetModels"].append(found["id"])
                task["models"].append({"id": found["id"]})
    return JSONResponse(body)


ROUTES = [
    Route("/api/models", list_models, methods=["GET"]),
    Route("/api/models/{repo_id:path}", model_info, methods=["GET"]),
    Route("/api/whoami-v2", whoami, methods=["GET"]),
    Route("/api/agent-harnesses", agent_harnesses, methods=["GET"]),
    Route("/api/tasks", tasks, methods=["GET"]),
]
