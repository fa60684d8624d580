"""The embedded model's own process: llama.cpp behind Ollama's protocol on a loopback port.

Started by :class:`tutor.llm.embedded.ModelProcess` as ``python -m tutor.llm.worker --model PATH
--ctx N --threads N``. It loads the model, serves it with :class:`~tutor.llm.protocol.ProtocolServer`
on ``127.0.0.1:<free port>``, prints one JSON line (``{"url", "model", "pid"}``, or ``{"error"}``
when the model cannot be loaded) and runs until its standard input closes — that is, until the
process that started it exits or lets it go. A crash in llama.cpp (an illegal instruction, a
segmentation fault, memory running out) ends this process only; the tutor reports it and starts
a new one for the next question.

This module imports llama.cpp and the protocol server only: no torch, no knowledge base.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tutor.llm.worker", description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True, help="a GGUF file")
    ap.add_argument("--name", required=True, help="the name the model is served under")
    ap.add_argument("--ctx", type=int, default=4096)
    ap.add_argument("--threads", type=int, default=0)
    args = ap.parse_args(argv)

    from tutor.llm.base import LLMError
    from tutor.llm.llamacpp import LlamaCppLLM
    from tutor.llm.protocol import ProtocolServer

    path = Path(args.model)
    try:
        llm = LlamaCppLLM(path, n_ctx=args.ctx, n_threads=args.threads or None)
        llm.llama  # load now: the first question should not wait for it
    except LLMError as e:
        print(json.dumps({"error": str(e)}), flush=True)
        return 1
    server = ProtocolServer(llm, [args.name], size=path.stat().st_size,
                            details={"parameter_size": "", "quantization_level": path.suffix})
    server.start()
    print(json.dumps({"url": server.url, "model": args.name, "pid": os.getpid()}), flush=True)
    try:
        sys.stdin.buffer.read()  # returns at end of file: the parent has gone or let us go
    except (KeyboardInterrupt, OSError):
        pass
    # no clean-up: llama.cpp's objects are freed with the process, and a generation still
    # running on a server thread must not hold the exit up
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
