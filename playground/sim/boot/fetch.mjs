// Loaded into every node process `python -m playground.sim run` starts (NODE_OPTIONS=--import ...):
// a global fetch that sends the live hosts (router, Hub, the providers' own APIs, fal's queue host) to the
// simulator, so @huggingface/inference and openai run unchanged, polling included. Other hosts pass through.
const sim = (process.env.PLAYGROUND_SIM_URL || "").replace(/\/$/, "");
const hosts = new Map([["router.huggingface.co", "/router"], ["huggingface.co", ""]]);
for (const host of (process.env.PLAYGROUND_SIM_HOSTS || "").split(",").filter(Boolean)) {
  hosts.set(host, `/direct/${host}`);
}

function toSim(url) {
  let parts;
  try {
    parts = new URL(url);
  } catch {
    return null;
  }
  const prefix = hosts.get(parts.hostname);
  if (!sim || prefix === undefined || !["http:", "https:"].includes(parts.protocol)) return null;
  return `${sim}${prefix}${parts.pathname}${parts.search}`;
}

const liveFetch = globalThis.fetch;

globalThis.fetch = async function simulatedFetch(input, init) {
  const request = new Request(input, init);
  const target = toSim(request.url);
  if (target === null) return liveFetch(input, init);
  const headers = new Headers(request.headers);
  headers.set("x-sim-live-url", request.url);
  const hasBody = !["GET", "HEAD"].includes(request.method);
  return liveFetch(target, {
    method: request.method,
    headers,
    body: hasBody ? await request.arrayBuffer() : undefined,
    signal: request.signal,
    redirect: request.redirect,
  });
};
