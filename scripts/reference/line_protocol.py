"""The line protocol the benchmark peers speak with sonogate's Java side: one request line on stdin,
one reply line on stdout. ``quit`` ends the loop (reply ``bye``); any failure of a request goes
back as ``error <type>: <message>`` on one line, and the peer keeps serving."""

import sys


def serve(handle, lines=sys.stdin, out=sys.stdout):
    """Answers each request line with handle(words) until quit or the end of input."""
    for line in lines:
        words = line.split()
        if not words:
            continue
        if words[0] == "quit":
            print("bye", file=out, flush=True)
            return
        try:
            reply = handle(words)
        except Exception as e:  # noqa: BLE001 -- every failure goes back as one line
            reply = "error " + (type(e).__name__ + ": " + str(e)).replace("\n", " ")
        print(reply, file=out, flush=True)
