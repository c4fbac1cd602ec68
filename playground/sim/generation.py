"""Image, video and speech generation (and speech recognition) in each provider's protocol.

Synchronous: fal-ai (`fal.run`), together and nscale (base64 images), novita video, together/deepinfra
speech. Waiting: replicate (`Prefer: wait`: 201 with the output URL, or 202 with `output: null` when
the work outlasts the wait). Polled: fal-ai queue, together `/v2/videos`, wavespeed, zai-org.
Polling URLs are built from the URL the client called, so they lead back to the simulator.
"""

from __future__ import annotations

import base64
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .answers import stable_hash
from .inputs import fetched, first, multipart_parts, new_media, prompt_of, publish, seed_of, size_of
from .jobs import Job
from .media import Media, audio_seconds
from .responses import Chunk, Deferred, Plan, json_plan
from .sandbox_urls import FAL_QUEUE_HOST
from .state import Call
from .task_answers import image_info, mask_png, transcript
from .timing import work_done_at

Builder = Callable[[Call, bool], Plan]
Poller = Callable[[Call, Job], Plan]
IMAGE_FORMAT = {"fal-ai": "jpeg", "together": "jpeg", "wavespeed": "jpeg", "hf-inference": "jpeg"}
IMAGE_SIZE = {"fal-ai": (1024, 768), "hf-inference": (512, 512)}
IMAGE_KEYS = ("image_url", "image", "input_image", "reference_images", "frame_images", "image_urls", "images", "inputs")
AUDIO_KEYS = ("audio_url", "audio", "file", "inputs")
VIDEO_TASKS = ("text-to-video", "image-to-video")
IMAGE_TASKS = ("text-to-image", "image-to-image")


@dataclass
class Produced:
    """What a generation task made, and when it is ready (seconds after the request arrived)."""

    done: float
    media: Media | None = None
    text: str = ""
    seconds: float = 0.0  # length of the audio heard, for transcriptions


def _source(call: Call, keys: tuple[str, ...]) -> bytes | None:
    value = first(call.body, *keys)
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("input_image") or value.get("url")
    if isinstance(call.body, bytes):
        return call.body
    return fetched(call, value)


def produce(call: Call, empty: bool) -> Produced:
    done = work_done_at(call.speed, call.task, call.rng)
    body, task = call.body, call.task
    if empty:
        return Produced(done)
    if task == "automatic-speech-recognition":
        audio = _source(call, AUDIO_KEYS) or b""
        return Produced(done, text=transcript(audio), seconds=audio_seconds(audio))
    prompt = prompt_of(body)
    if task == "text-to-speech":
        return Produced(done, new_media(call, "audio", "wav", prompt))
    source = _source(call, IMAGE_KEYS) if task in ("image-to-image", "image-to-video", "image-segmentation") else None
    if task in VIDEO_TASKS:
        return Produced(done, new_media(call, "video", "mp4", prompt, size_of(body, (512, 288)), source))
    fmt = str(first(body, "output_format") or IMAGE_FORMAT.get(call.provider, "png")).lower().replace("jpg", "jpeg")
    default = image_info(source)[:2] if source else IMAGE_SIZE.get(call.provider, (1024, 1024))
    size = size_of(body, default)
    return Produced(done, new_media(call, "image", fmt if fmt in ("png", "jpeg", "webp") else "png", prompt, size,
                                    source, seed_of(body, call)))


def _iso(offset: float = 0.0) -> str:
    moment = datetime.now(UTC).timestamp() + offset
    return datetime.fromtimestamp(moment, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _accepted_at(call: Call, done: float) -> float:
    """Asynchronous APIs acknowledge a submission quickly."""
    return min(done, call.speed.scaled(0.05 + 0.1 * call.rng.random()))


def _job(call: Call, produced: Produced, style: str, **extra: Any) -> Job:
    assert call.state is not None
    received = call.record.received_at
    job = Job(id=call.state.jobs.new_id(style), provider=call.provider, model_id=call.model_id,
              provider_id=call.provider_id, created_at=received, ready_at=received + produced.done,
              extra={"root": call.root, "task": call.task, **extra})
    return call.state.jobs.add(job)


def _url(call: Call, produced: Produced) -> str | None:
    return publish(call, produced.media) if produced.media is not None else None


# --- fal-ai ---------------------------------------------------------------------------------------------------

def _fal_output(call: Call, produced: Produced) -> dict[str, Any]:
    media, task = produced.media, call.task
    if task == "automatic-speech-recognition":
        return {"text": produced.text, "chunks": [{"timestamp": [0.0, round(produced.seconds, 2)], "text": produced.text,
                                                   "speaker": None}] if produced.text else [],
                "inferred_languages": ["en"], "diarization_segments": []}
    if task == "image-segmentation":
        size = (media.width, media.height) if media else (512, 512)
        mask = mask_png(size[0], size[1], call.rng.getrandbits(32)) if media else ""
        return {"image": {"url": f"data:image/png;base64,{mask}", "content_type": "image/png", "width": size[0],
                          "height": size[1]}}
    url = _url(call, produced)
    if task == "text-to-speech":
        return {"audio": {"url": url, "content_type": "audio/wav", "file_name": "output.wav"}}
    if task in VIDEO_TASKS:
        return {"video": {"url": url, "content_type": "video/mp4", "file_name": "output.mp4"}, "seed": seed_of(call.body, call)}
    images = [{"url": url, "width": media.width, "height": media.height, "content_type": media.content_type}] if media else []
    return {"images": images, "timings": {"inference": round(produced.done, 3)}, "seed": media.seed if media else 0,
            "has_nsfw_concepts": [False] * len(images), "prompt": prompt_of(call.body)}


def fal_submit(call: Call, empty: bool) -> Plan:
    """`fal.run` answers when the work is done; `queue.fal.run` (routed: `?_subdomain=queue`) at once, with
    `{request_id, status, response_url, status_url}`. The URLs name fal's queue host even when routed, as live:
    clients keep only their path, put on the host they called (+ `/fal-ai` on the router's)."""
    produced = produce(call, empty)
    if not call.params.get("queue"):
        return json_plan(_fal_output(call, produced), at=produced.done, text=True)
    job = _job(call, produced, "uuid", output=_fal_output(call, produced))
    return json_plan(_fal_status(job), at=_accepted_at(call, produced.done))


def _fal_status(job: Job) -> dict[str, Any]:
    url = f"https://{FAL_QUEUE_HOST}/{job.provider_id}/requests/{job.id}"
    state = "COMPLETED" if job.done else ("IN_PROGRESS" if job.progress > 0.2 else "IN_QUEUE")
    status: dict[str, Any] = {"status": state, "request_id": job.id, "response_url": url, "status_url": f"{url}/status",
                              "cancel_url": f"{url}/cancel", "logs": None, "metrics": {}}
    if state == "IN_QUEUE":
        status["queue_position"] = 0
    else:
        status["metrics"] = {"inference_time": round(time.perf_counter() - job.created_at, 3)}
    return status


def fal_status(call: Call, job: Job) -> Plan:
    return json_plan(_fal_status(job))


def fal_result(call: Call, job: Job) -> Plan:
    if not job.done:
        return json_plan({"detail": "Request is still in progress"}, status=400)
    return json_plan(job.extra["output"], text=True)


# --- replicate --------------------------------------------------------------------------------------------------

def _wait_window(call: Call) -> float:
    """`Prefer: wait` (60 s) or `wait=N`, on the simulator's time scale."""
    prefer = call.params.get("prefer", "")
    seconds = 60.0
    if prefer.startswith("wait="):
        with contextlib.suppress(ValueError):
            seconds = min(60.0, float(prefer.split("=", 1)[1]))
    return call.speed.scaled(seconds) if prefer.startswith("wait") else 0.0


def _replicate_output(call: Call, produced: Produced) -> Any:
    if call.task == "automatic-speech-recognition":
        return {"transcription": produced.text, "detected_language": "english",
                "segments": [{"id": 0, "start": 0.0, "end": round(produced.seconds, 2), "text": produced.text}]}
    url = _url(call, produced)
    if url is None:
        return None
    return [url] if call.task in IMAGE_TASKS else url


def _prediction(job: Job, output: Any, status: str) -> dict[str, Any]:
    root = job.extra["root"]
    # As recorded: a 64-hex version even for a model route; `urls` on the API's host, `stream` on its own.
    version = job.provider_id.split(":", 1)[1] if ":" in job.provider_id else \
        "".join(f"{stable_hash(job.provider_id, part):016x}" for part in range(4))
    inputs = {k: (v if not isinstance(v, str) or len(v) < 512 else v[:64] + "...")
              for k, v in (job.extra.get("input") or {}).items()}
    return {"id": job.id, "model": job.provider_id.split(":", 1)[0], "version": version, "input": inputs,
            "logs": "", "output": output, "data_removed": False, "error": None, "status": status,
            "created_at": _iso(job.created_at - time.perf_counter()),
            "urls": {"cancel": f"{root}/v1/predictions/{job.id}/cancel", "get": f"{root}/v1/predictions/{job.id}",
                     "stream": f"https://stream.replicate.com/v1/files/{job.id}"}}


def replicate_submit(call: Call, empty: bool) -> Plan:
    produced = produce(call, empty)
    output = None if empty else _replicate_output(call, produced)
    body_input = call.body.get("input") if isinstance(call.body, dict) else None
    job = _job(call, produced, "replicate", output=output, input=body_input if isinstance(body_input, dict) else {})
    window = _wait_window(call)
    if output is not None and produced.done <= window:  # recorded: 201, output filled, still "processing"
        return json_plan(_prediction(job, output, "processing"), status=201, at=produced.done, text=True)
    if not window:
        return json_plan(_prediction(job, None, "starting"), status=201, at=_accepted_at(call, produced.done))
    at = window if output is not None else min(window, produced.done)
    return json_plan(_prediction(job, None, "starting"), status=202, at=at)


def replicate_get(call: Call, job: Job) -> Plan:
    output = job.extra["output"]
    done = job.done and output is not None
    return json_plan(_prediction(job, output if done else None, "succeeded" if done else "processing"))


# --- together, nscale: base64 images; together video ------------------------------------------------------------

def _b64(media: Media | None) -> str:
    return base64.b64encode(media.render()).decode() if media is not None else ""


def images_b64(call: Call, empty: bool) -> Plan:
    produced = produce(call, empty)
    media = produced.media
    if call.provider == "together":
        def body() -> dict[str, Any]:
            data = [{"timings": {"inference": int(produced.done * 1000)}, "index": 0, "b64_json": _b64(media)}]
            return {"id": f"{call.rng.getrandbits(64):016x}-SIM", "model": call.provider_id, "object": "list",
                    "data": data if media else []}
    else:
        def body() -> dict[str, Any]:
            return {"created": int(time.time()), "data": [{"b64_json": _b64(media)}] if media else []}
    return Plan(status=200, chunks=[Chunk(produced.done, Deferred(body), text=True)])


def _together_video(job: Job) -> dict[str, Any]:
    status = "completed" if job.done else ("in_progress" if job.progress > 0.1 else "queued")
    body: dict[str, Any] = {"id": job.id, "object": "video", "model": job.provider_id, "status": status,
                            "created_at": int(time.time() - (time.perf_counter() - job.created_at))}
    if status == "completed":
        url = job.extra["output"]
        body["outputs"] = {"video_url": url, "cost": 0.0} if url else {}
        if not url:
            body["status"] = "failed"
            body["error"] = {"message": "The generation returned no video."}
    return body


def speech_bytes(call: Call, empty: bool) -> Plan:
    """together and deepinfra `/audio/speech`: the audio itself."""
    produced = produce(call, empty)
    media = produced.media
    return Plan(status=200, chunks=[Chunk(produced.done, Deferred(media.render) if media else b"", text=True)],
                media_type="audio/wav")


def deepinfra_transcription(call: Call, empty: bool) -> Plan:
    if isinstance(call.body, bytes):
        call.body = {"file": multipart_parts(call.body, call.params.get("content_type", "")).get("file", b"")}
    produced = produce(call, empty)
    segments = [{"id": 0, "seek": 0, "start": 0.0, "end": round(produced.seconds, 2), "text": produced.text}]
    return json_plan({"text": produced.text, "segments": segments if produced.text else [], "language": "en",
                      "duration": round(produced.seconds, 2)}, at=produced.done, text=True)


def novita_video(call: Call, empty: bool) -> Plan:
    produced = produce(call, empty)
    url = _url(call, produced)
    body = {"video": {"video_url": url, "video_url_ttl": "3600", "video_type": "mp4"}} if url else {"video": {}}
    return json_plan(body, at=produced.done, text=True)


# --- wavespeed, zai-org: polled ---------------------------------------------------------------------------------

def _wavespeed(job: Job) -> dict[str, Any]:
    url = job.extra["output"]
    status = ("completed" if url else "failed") if job.done else ("processing" if job.progress > 0.1 else "created")
    data = {"id": job.id, "model": job.provider_id, "outputs": [url] if status == "completed" else [],
            "urls": {"get": f"{job.extra['root']}/api/v3/predictions/{job.id}/result"}, "has_nsfw_contents": [],
            "status": status, "created_at": _iso(job.created_at - time.perf_counter()),
            "error": "" if status != "failed" else "The generation returned no output.",
            "timings": {"inference": int((job.ready_at - job.created_at) * 1000) if job.done else 0}}
    return {"code": 200, "message": "success", "data": data}


def _zai(job: Job) -> dict[str, Any]:
    url = job.extra["output"]
    status = ("SUCCESS" if url else "FAIL") if job.done else "PROCESSING"
    body: dict[str, Any] = {"model": job.provider_id, "id": job.id, "request_id": f"req-{job.id}", "task_status": status}
    if status == "SUCCESS":
        body["image_result"] = [{"url": url}]
    return body


def _polled(style: str, status: Callable[[Job], dict[str, Any]]) -> tuple[Builder, Poller]:
    """A job whose submission and polls both answer its status (the output URL once it is done)."""

    def submit(call: Call, empty: bool) -> Plan:
        produced = produce(call, empty)
        job = _job(call, produced, style, output=_url(call, produced))
        return json_plan(status(job), at=_accepted_at(call, produced.done))

    def poll(call: Call, job: Job) -> Plan:
        return json_plan(status(job), text=job.done)

    return submit, poll


together_video_submit, together_video_get = _polled("uuid", _together_video)
wavespeed_submit, wavespeed_result = _polled("hex", _wavespeed)
zai_submit, zai_result = _polled("hex", _zai)

