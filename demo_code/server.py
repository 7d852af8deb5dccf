"""Start the demo app: `python demo_code/server.py`, then open the URL it prints."""

import os

if "GITHUB_API_URL" not in os.environ:
    # No GitHub chosen: start the kit's GitHub double, which sets GITHUB_API_URL for us.
    # This must happen before `import app`, because the app reads GITHUB_API_URL on import.
    from workshop.upstream import github_api_url

    print(" * GitHub API: the kit's GitHub double at", github_api_url())
else:
    print(" * GitHub API:", os.environ["GITHUB_API_URL"])

from app import app  # noqa: E402 (must come after the GitHub URL is settled)

if __name__ == "__main__":
    # 127.0.0.1: only this computer can reach the development server; 0.0.0.0 would open it to
    # the whole network. Port 5001, because macOS's AirPlay Receiver already uses port 5000.
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5001"))
    app.run(host=host, port=port, debug=False)  # threaded: each request gets its own thread
