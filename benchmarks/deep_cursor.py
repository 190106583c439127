"""Walks N pages of 100 down a partner's list and prints the cursor there."""
import sys
import requests

partner, token, pages = sys.argv[1], sys.argv[2], int(sys.argv[3])
cursor = None
for _ in range(pages):
    params = {"limit": 100}
    if cursor:
        params["cursor"] = cursor
    page = requests.get(f"http://localhost:8082/v1/partners/{partner}/care-requests", params=params,
                        headers={"Authorization": f"Bearer {token}"}).json()
    cursor = page.get("next_cursor") or cursor
print(cursor)
