"""Runs after every operation was fuzzed (pytest runs this file after test_openapi.py)."""

# Only Identity itself can hold the scope of the claims lookup (see CALLERS), so every call of it is refused.
REFUSED_BY_DESIGN = {"POST /internal/v1/identity-claims"}


def test_serve_never_exited_during_the_run(serve, fuzz):
    if not serve.alive():
        fuzz.record_exit("(after the last operation)", "(no request in flight)")
    assert not fuzz.exits, (
        f"selfsched serve exited {len(fuzz.exits)} time(s) during the fuzz run:\n"
        + "\n".join(f"- {operation} (status {status}):\n  {curl}" for operation, curl, status in fuzz.exits))


def test_serve_never_stopped_answering_during_the_run(fuzz):
    assert not fuzz.hangs, "selfsched serve stopped answering during the fuzz run:\n" + "\n".join(
        f"- {operation}:\n  {request}" for operation, request in fuzz.hangs)


def test_the_tokens_got_past_authentication(fuzz):
    """A fuzz run that only ever hears 401 or 403 proves nothing: each operation must have answered otherwise."""
    assert fuzz.statuses, "no operation was called"
    locked_out = [operation for operation, counts in fuzz.statuses.items()
                  if operation not in REFUSED_BY_DESIGN and set(counts) <= {401, 403}]
    assert not locked_out, f"these operations never got past authentication: {locked_out}"
