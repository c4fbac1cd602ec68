"""Real answers, written for this project, to the prompts the playground offers and to common questions.

`known_answer(prompt, family)` finds one by the question's words (case, punctuation and a trailing "please"
ignored); anything else keeps the templates of `answers.py`. Providers still drift from these (quantisation), see
`compose`. Most questions have one answer for every model; the most asked have one per model family.
"""

from __future__ import annotations

import re

# A question's answer, or per model family ("" = any other family).
ANSWERS: dict[str, str | dict[str, str]] = {
    "explain in three sentences why the sky is blue":
        "Sunlight contains every colour, and as it passes through the atmosphere it scatters off nitrogen and oxygen "
        "molecules. This Rayleigh scattering is much stronger for short wavelengths, so blue light is bounced across "
        "the whole sky far more than red or yellow. Our eyes are more sensitive to blue than to violet, which is why "
        "the sky looks blue rather than purple.",
    "the three primary colours are":
        " red, yellow and blue in traditional colour theory, the ones painters mix. For light, the additive primaries "
        "are red, green and blue, and for printing the subtractive primaries are cyan, magenta and yellow.",
    "what is the meaning of life if you were a dog":
        "If I were a dog, the meaning of life would be wonderfully simple:\n\n"
        "1. **My people.** Being close to the ones I love, greeting them at the door as if they had been gone for years.\n"
        "2. **The walk.** Every walk is a newspaper written in smells, and I must read all of it.\n"
        "3. **Play.** A ball, a stick, a squeaky toy: joy needs no reason.\n"
        "4. **Food and naps.** Dinner on time, then a sunny spot on the floor.\n"
        "5. **Loyalty.** Guarding the house, keeping my family company when they are sad.\n\n"
        "In short, a dog's life means living in the moment, loving without conditions and finding delight in small "
        "things, which is not a bad philosophy for humans either.",
    "what is the capital of france":
        "The capital of France is Paris.",
    "what is the capital of germany":
        "The capital of Germany is Berlin.",
    "what is the capital of japan":
        "The capital of Japan is Tokyo.",
    "what is 2 2":
        "2 + 2 = 4.",
    "hello":
        "Hello! How can I help you today?",
    "hi":
        "Hi there! What can I do for you?",
    "say hello in one word":
        "Hello!",
    "who are you":
        "I am an AI assistant, a large language model. I can answer questions, explain ideas, help with writing and "
        "code, and work through problems with you. What would you like to do?",
    "tell me a joke":
        "Why don't scientists trust atoms?\n\nBecause they make up everything!",
    "what is deep learning": {
        "qwen": "Deep learning is a subset of machine learning built on neural networks with multiple hidden layers, "
                "hence \"deep\".\n\n**How it works:** data flows through stacked layers of neurons; training adjusts "
                "millions or billions of weights with backpropagation and gradient descent so the output gets closer "
                "to the target.\n\n**Why it matters:** it extracts features automatically from raw data.\n\n"
                "**Typical uses:** computer vision (CNNs), speech, machine translation, recommendation systems and "
                "generative AI such as chatbots and image generators (transformers, diffusion models).",
        "": "Deep learning is a branch of machine learning that trains artificial neural networks with many layers. Each "
        "layer learns to transform its input into a slightly more abstract representation, so a network can go from "
        "raw pixels, sound or text to high-level concepts without hand-written features. It powers image recognition, "
        "speech recognition, translation and large language models, and it works best with lots of data and compute."},
    "what is machine learning":
        "Machine learning is a field of computer science in which programs learn patterns from data instead of being "
        "given explicit rules. A model is trained on examples, measured on how well it predicts, and adjusted to do "
        "better. Common kinds are supervised learning (labelled examples), unsupervised learning (finding structure) "
        "and reinforcement learning (learning from rewards).",
    "what is a large language model":
        "A large language model (LLM) is a neural network, usually a transformer, trained on a very large amount of "
        "text to predict the next token. Doing that well forces it to learn grammar, facts and some reasoning, so it "
        "can answer questions, summarise, translate and write code. Models like Llama, Qwen, DeepSeek and GPT are LLMs.",
    "what is the speed of light":
        "The speed of light in a vacuum is exactly 299,792,458 metres per second, about 300,000 km/s or "
        "186,000 miles per second.",
    "how far is the moon from the earth":
        "The Moon is on average about 384,400 km (238,855 miles) from Earth. Its orbit is elliptical, so the distance "
        "varies from roughly 363,000 km at perigee to 405,000 km at apogee.",
    "who wrote romeo and juliet":
        "Romeo and Juliet was written by William Shakespeare, probably around 1594 to 1596.",
    "what is photosynthesis":
        "Photosynthesis is the process by which plants, algae and some bacteria turn light into chemical energy. "
        "Using chlorophyll, they take in carbon dioxide and water and, powered by sunlight, make glucose and release "
        "oxygen: 6 CO2 + 6 H2O + light → C6H12O6 + 6 O2.",
    "why is the sky blue":
        "The sky is blue because of Rayleigh scattering: sunlight hitting the molecules of the air is scattered, and "
        "shorter (blue) wavelengths are scattered much more than longer (red) ones, so blue light reaches our eyes "
        "from every direction of the sky.",
    "write a haiku about the ocean":
        "Waves fold into foam,\nthe tide keeps its ancient time,\nsalt wind carries gulls.",
    "write a poem about the sea":
        "The sea keeps talking to the shore\nin grey and silver, green and blue;\n"
        "it tells the stones what came before\nand takes a little back with it, too.",
    "write a python function that reverses a string":
        "```python\ndef reverse(text: str) -> str:\n    return text[::-1]\n```\n\n"
        "The slice `[::-1]` walks the string from the end to the start, so `reverse(\"hello\")` returns `\"olleh\"`.",
    "write a function that computes the nth fibonacci number":
        "```python\ndef fibonacci(n: int) -> int:\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n"
        "    return a\n```\n\nIt runs in O(n) time and O(1) memory: `fibonacci(10)` is 55.",
    "what is the difference between a list and a tuple in python":
        "A list is mutable: you can add, remove and change items (`[1, 2, 3]`). A tuple is immutable once created "
        "(`(1, 2, 3)`), which makes it hashable, so it can be a dictionary key or a set member. Use lists for "
        "collections that change and tuples for fixed records.",
    "what is an api":
        "An API (application programming interface) is a contract that lets one program use another: it defines the "
        "requests you can make, their parameters and the answers you get back. A web API, for example, accepts HTTP "
        "requests at given URLs and answers with JSON.",
    "what is hugging face":
        "Hugging Face is a company and a platform for machine learning. Its Hub hosts hundreds of thousands of open "
        "models, datasets and demo apps (Spaces), and it maintains libraries such as transformers, diffusers and "
        "huggingface_hub. Through Inference Providers you can run many Hub models on partner providers with one token.",
    "what are inference providers":
        "Inference Providers let you call models hosted on the Hugging Face Hub through partner companies such as "
        "Together, Fireworks, Groq, Cerebras, fal, Replicate and others, with one Hugging Face token. Requests go "
        "through the Hugging Face router, which forwards them to the chosen provider and bills your account.",
    "translate good morning into french":
        "\"Good morning\" in French is \"Bonjour\".",
    "can you recommend a good destination for winter holidays":
        "A few good choices for winter holidays:\n\n- **Lapland, Finland**: snow, northern lights and husky rides.\n"
        "- **The Alps (Chamonix, Zermatt, St. Anton)**: skiing and mountain villages.\n"
        "- **Canary Islands**: if you want sunshine instead, around 22 °C all winter.\n"
        "- **Kyoto, Japan**: quiet temples, hot springs nearby and few crowds.\n\n"
        "Tell me whether you prefer snow or sun and I can suggest more.",
    "give me three tips for better sleep":
        "1. Keep a regular schedule: go to bed and get up at the same time every day, weekends included.\n"
        "2. Make the bedroom dark, quiet and cool, and keep screens out of the last hour before sleep.\n"
        "3. Avoid caffeine after early afternoon and heavy meals or alcohol late in the evening.",
    "what is the boiling point of water":
        "At sea level water boils at 100 °C (212 °F). At higher altitude the air pressure is lower, so it boils at a "
        "lower temperature, around 90 °C at 3,000 m.",
    "how many continents are there":
        "By the most common convention there are seven continents: Africa, Antarctica, Asia, Australia (Oceania), "
        "Europe, North America and South America.",
    "what is the largest planet in the solar system":
        "Jupiter is the largest planet in the solar system: its diameter is about 143,000 km, eleven times Earth's, "
        "and its mass is more than twice that of all the other planets combined.",
    "summarize the theory of relativity in one sentence":
        "Relativity says that the laws of physics and the speed of light are the same for every observer, so space "
        "and time stretch with motion and are curved by mass and energy, which is what we feel as gravity.",
}

_NOISE = re.compile(r"[^a-z0-9]+")


def normalise(prompt: str) -> str:
    words = _NOISE.sub(" ", prompt.lower()).split()
    while words and words[-1] == "please":
        words.pop()
    return " ".join(words)


_BY_WORDS = {normalise(question): answer for question, answer in ANSWERS.items()}


def known_answer(prompt: str, family: str = "") -> str | None:
    found = _BY_WORDS.get(normalise(prompt))
    if isinstance(found, dict):
        return found.get(family, found[""])
    return found
