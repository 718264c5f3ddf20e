"""Work the server does by itself: the delivery checks on a schedule, the emails they send, and the
figures and report refreshed after each load (runner.py starts it inside `vrhub serve`)."""
