"""The top of the page: title, what mode the app runs in, and signing in on a Space."""

from __future__ import annotations

import gradio as gr

from ..service import Playground
from . import views
from .page import Page


def mode_banner(playground: Playground) -> str:
    s = playground.settings
    if s.demo:
        return (
            '<div class="banner demo"><b>Demo mode:</b> the Hub, the router and the providers are the built-in '
            "<b>simulator</b>, running on this machine. Answers and timings are simulated; no credits are spent.</div>"
        )
    where = "on this Space: sign in with Hugging Face to call providers on your account" if s.on_space else "live"
    return f'<div class="banner live"><b>Live:</b> {where}. Routed calls (HF token) bill your Hugging Face account; direct calls bill the provider.</div>'


def render(page: Page, playground: Playground) -> None:
    with gr.Row(elem_classes="top"):
        gr.HTML(
            "<h1>Inference Providers Playground</h1><p class='lede'>Send one request to several inference providers "
            "at once and compare their answers, speed, tokens and cost, live.</p>" + mode_banner(playground)
        )
        if playground.settings.on_space:
            with gr.Column(scale=0, min_width=200):
                gr.LoginButton()
                page.add(signed_in=gr.Markdown())


def wire(page: Page, demo: gr.Blocks, playground: Playground) -> None:
    if playground.settings.on_space:
        demo.load(views.signed_in, None, page.signed_in, api_visibility="private")
