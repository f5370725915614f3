"""Load generator: signed-in clients hammer one GET path on 127.0.0.1; prints a JSON summary.

    python bench/load.py --url http://127.0.0.1:8000 --path /api/v1/me/jobs --user T1001 \
        --password shifu-demo-2026 [--clients 20] [--seconds 5] [--single 2] [--access-log FILE]

Two phases, both bounded in time and in requests:
  single      one client, one request at a time: its p50 is the server time per request plus loopback
  concurrent  --clients threads, each with its own session and keep-alive connection, for --seconds

Latency is taken on the client (loopback adds ~0.1 ms). With --access-log (gunicorn's, ending in the
request time in microseconds, %(D)s) the server's own time for the same requests is reported too,
which shows how much of the concurrent latency is queueing in front of the workers.
Pure standard library, so nothing needs installing.
"""
import argparse
import http.client
import json
import os
import threading
import time
from urllib.parse import urlsplit

MAX_REQUESTS_PER_CLIENT = 100_000  # a second bound besides --seconds


def percentile(values, share):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def summary(latencies):
    return {f"p{p}_ms": round(percentile(latencies, p / 100) * 1000, 2) if latencies else None
            for p in (50, 95, 99)}


class Client:
    """One user on one keep-alive connection; follows the session cookie like a browser would."""

    def __init__(self, host, port):
        self.connection = http.client.HTTPConnection(host, port, timeout=30)
        self.cookie = ""

    def request(self, method, path, body=None, headers=None):
        headers = {"Cookie": self.cookie, "Accept": "application/json", **(headers or {})}
        reused = self.connection.sock is not None
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except (ConnectionError, http.client.HTTPException):
            self.connection.close()  # the next request reconnects
            if reused:  # the server closed an idle keep-alive connection: retry once, as browsers do
                return self.request(method, path, body, headers)
            raise
        self.last_headers = response.headers
        for cookie in response.headers.get_all("Set-Cookie") or ():
            if cookie.startswith("session="):
                self.cookie = cookie.split(";", 1)[0]
        return response.status, data

    def sign_in(self, username, password):
        status, data = self.request("GET", "/api/v1/session")
        token = json.loads(data)["csrf_token"]
        body = json.dumps({"username": username, "password": password})
        status, data = self.request("POST", "/api/v1/session", body,
                                    {"Content-Type": "application/json", "X-CSRFToken": token})
        if status != 200:
            raise SystemExit(f"load: sign-in as {username} failed: {status} {data[:300]!r}")


def hammer(client, path, deadline, limit, out):
    """Requests one after another until the deadline or the limit; records latencies and failures."""
    latencies, errors, size = [], [], 0
    while time.perf_counter() < deadline and len(latencies) + len(errors) < limit:
        started = time.perf_counter()
        try:
            status, data = client.request("GET", path)
        except (ConnectionError, http.client.HTTPException, TimeoutError) as error:
            errors.append(repr(error))
            continue
        if status == 200:
            latencies.append(time.perf_counter() - started)
            size = len(data)
        else:
            errors.append(f"{status} {data[:300]!r}")
    out.append((latencies, errors, size))


def concurrent(clients, path, seconds):
    results = []
    deadline = time.perf_counter() + seconds
    threads = [threading.Thread(target=hammer, args=(c, path, deadline, MAX_REQUESTS_PER_CLIENT, results))
               for c in clients]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    elapsed = time.perf_counter() - started
    latencies = [x for r in results for x in r[0]]
    errors = [x for r in results for x in r[1]]
    return {"clients": len(clients), "seconds": round(elapsed, 2), "requests": len(latencies),
            "rps": round(len(latencies) / elapsed, 1), **summary(latencies),
            "errors": len(errors), "first_error": errors[0] if errors else None}


def server_times(log_path, offset, path):
    """Request times (seconds) that gunicorn logged for path since offset."""
    time.sleep(0.3)  # gunicorn writes the line just after sending the response
    with open(log_path, encoding="utf-8", errors="replace") as log:
        log.seek(offset)
        lines = log.read().splitlines()
    wanted = urlsplit(path).path
    fields = [line.split() for line in lines]  # method, path, status, microseconds
    return [int(f[3]) / 1e6 for f in fields if len(f) == 4 and f[1] == wanted and f[2] == "200"]


def with_server_time(result, log_path, offset, path):
    if log_path:
        times = server_times(log_path, offset, path)
        result["server_p50_ms"] = round(percentile(times, 0.5) * 1000, 2) if times else None
        result["server_p95_ms"] = round(percentile(times, 0.95) * 1000, 2) if times else None
    return result


def log_size(log_path):
    return os.path.getsize(log_path) if log_path else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=5, help="length of the concurrent phase")
    parser.add_argument("--single", type=float, default=2, help="length of the one-client phase, seconds")
    parser.add_argument("--access-log", help="gunicorn access log whose last field is %%(D)s")
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    url = urlsplit(args.url)
    if url.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("load: loopback only")

    clients = [Client(url.hostname, url.port) for _ in range(args.clients)]
    for client in clients:  # sign in first, outside the timed phases (Argon2 is slow on purpose)
        client.sign_in(args.user, args.password)
        warm = []
        hammer(client, args.path, time.perf_counter() + 5, 3, warm)
        if warm[0][1]:
            raise SystemExit(f"load: GET {args.path} fails: {warm[0][1][0]}")

    load_before = os.getloadavg()[0]  # other work on the machine shows up here
    cpu_started = time.process_time()
    offset = log_size(args.access_log)
    single = []
    hammer(clients[0], args.path, time.perf_counter() + args.single, 2000, single)
    latencies, errors, size = single[0]
    single_result = with_server_time({"requests": len(latencies), **summary(latencies), "errors": len(errors)},
                                     args.access_log, offset, args.path)

    offset = log_size(args.access_log)
    concurrent_result = with_server_time(concurrent(clients, args.path, args.seconds),
                                         args.access_log, offset, args.path)
    print(json.dumps({"label": args.label, "path": args.path, "user": args.user, "bytes": size,
                      "single": single_result, "concurrent": concurrent_result,
                      "client_cpu_s": round(time.process_time() - cpu_started, 2), "loadavg_1m": load_before},
                     ensure_ascii=False))


if __name__ == "__main__":
    main()
