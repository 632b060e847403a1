"""``python -m infra.local``: start the platform on this machine (see README)."""

from __future__ import annotations

import errno
import faulthandler
import logging
import os
import signal
import sys
import threading

from infra.local.platform import EmbeddedPlatform, LocalOptions


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    logging.getLogger("moto").setLevel(logging.WARNING)  # the emulator's own traces (Parallel branches...)
    logging.getLogger("botocore.credentials").setLevel(logging.WARNING)
    options = LocalOptions.from_env()
    platform = EmbeddedPlatform(options)
    stopping, started = threading.Event(), threading.Event()

    def request_stop(signum: int, _frame: object) -> None:
        if not started.is_set() and not stopping.is_set():
            # os.write: a print here could interrupt one of the main thread's.
            os.write(sys.stdout.fileno(), "\nArrêt demandé : il aura lieu dès la fin du démarrage.\n".encode())
        stopping.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        platform.start()
    except OSError as error:
        platform.stop(save=False)
        if error.errno == errno.EADDRINUSE:
            print(
                f"Le port {options.port} est déjà utilisé : arrêtez l'autre instance ou choisissez un port libre "
                f"(par exemple CONSORES_PORT={options.port + 1} make run).",
                file=sys.stderr,
            )
            return 1
        raise
    started.set()
    print(f"\nConsoRes tourne sur {platform.url}  (API : {platform.url}/api)")
    print(f"Données : {options.data_dir} ({'nouvelles' if platform.fresh else 'restaurées'})")
    print(f"Administrateur : {options.admin_email} / {options.admin_password}")
    for email, password, role in platform.demo_accounts:
        print(f"  {role:<40} {email} / {password}")
    print("E-mails envoyés : GET /api/local/mailbox — Ctrl+C pour arrêter (l'état est sauvegardé).\n", flush=True)
    stopping.wait()
    print("Arrêt : sauvegarde de l'état…", flush=True)
    # Should the stop itself hang, every thread's stack is printed and the process ends: what it had
    # acknowledged is in the snapshots already (platform.durable).
    faulthandler.dump_traceback_later(options.stop_wait_seconds + 60, exit=True)
    platform.stop()
    print("Arrêté.", flush=True)
    return 0


if __name__ == "__main__":
    code = main()
    # Work cut by the stop may still run in threads (an import's Lambda, a report's query): saved and
    # named for the next start, it must not hold the exit, nor be torn down in the middle of a query.
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
