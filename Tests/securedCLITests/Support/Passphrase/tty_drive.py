#!/usr/bin/env python3
"""Runs a command with a new pseudo-terminal as its controlling terminal (and stdin, stdout,
stderr), types each ANSWER after each prompt ending in ': ', and prints everything the
terminal showed, so a test can check that what was typed was never echoed.

  tty_drive.py ANSWER [ANSWER...] -- COMMAND [ARG...]

Exit status: the command's (or 125 if it had to be killed after 60 s).
"""
import os, pty, select, sys, time

split = sys.argv.index("--")
answers, command = [a.encode() for a in sys.argv[1:split]], sys.argv[split + 1:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(command[0], command)

shown, pending, deadline = b"", b"", time.time() + 60
while time.time() < deadline:
    ready, _, _ = select.select([fd], [], [], 0.5)
    if not ready:
        continue
    try:
        chunk = os.read(fd, 4096)
    except OSError:  # EIO: the child closed the terminal
        break
    if not chunk:
        break
    shown += chunk
    pending += chunk
    if answers and pending.rstrip(b" ").endswith(b":"):
        os.write(fd, answers.pop(0) + b"\n")
        pending = b""
else:
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    sys.stdout.buffer.write(shown)
    sys.exit(125)
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(shown)
sys.exit(os.waitstatus_to_exitcode(status))
