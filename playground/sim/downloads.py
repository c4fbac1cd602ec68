"""`GET /media/{token}`: the generated files a provider's answer points to (a CDN, as far as clients know)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .handlers import faultable
from .state import request_record, sim_state


@faultable("media")
async def download(request: Request) -> Response:
    media = sim_state(request).media.get(request.path_params["token"])
    if media is None:
        return JSONResponse({"error": "Not found"}, status_code=404)
    record = request_record(request)
    record.provider, record.model = media.provider, media.model
    return Response(await run_in_threadpool(media.render), media_type=media.content_type,
                    headers={"cache-control": "public, max-age=3600"})


ROUTES = [Route("/media/{token}", download, methods=["GET"])]
