"""Start the app: `python server.py` in this folder, then open the URL it prints."""

import os

from app import app

# 127.0.0.1: only this computer can reach the development server; 0.0.0.0 would open it to the
# whole network. Port 5001, because macOS's AirPlay Receiver already uses port 5000.
# DEMO_HOST, not HOST: some shells (tcsh) set HOST to the computer's name.
HOST = os.environ.get("DEMO_HOST", "127.0.0.1")
PORT = int(os.environ.get("PORT", "5001"))

if __name__ == "__main__":
    # The app read GITHUB_API_URL when it was imported (unset: the real GitHub).
    print(" * GitHub API:", app.config["GITHUB_API_URL"])
    app.run(host=HOST, port=PORT, debug=False)  # threaded: each request gets its own thread
