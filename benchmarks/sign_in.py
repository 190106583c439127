"""Signs scheduler@sunrise.example in to Express through Identity and prints the session cookie."""
import re
from html import unescape
import requests

s = requests.Session()
page = s.get("http://localhost:8080/care-requests")
form = {n: unescape(v) for n, v in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page.text)}
action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1)
form.update(email="scheduler@sunrise.example", password="selfsched-demo")
s.post("http://localhost:8083" + action, data=form)
print(s.cookies.get("express_session"))
