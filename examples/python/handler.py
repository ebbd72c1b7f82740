"""An example Python Lambda that calls an API with a token-broker token.

Set ``TOKEN_BROKER_PARAMETER_PREFIX`` and ``EXAMPLE_INSTANCE``; grant ``ssm:GetParameter`` on
``{prefix}/{instance}``. Package ``token_broker_reader.py`` next to this file (boto3 is in the
Lambda Python runtime).
"""

import json
import os
import urllib.request

from token_broker_reader import get_token

INSTANCE = os.environ.get("EXAMPLE_INSTANCE", "cw-sandbox")


def handler(event, context):
    envelope = get_token(INSTANCE)  # cached across invocations until expiresAt - 60 s
    headers = {**envelope["headers"], "Authorization": f"{envelope['tokenType']} {envelope['token']}"}
    url = envelope.get("baseUrl", "") + event.get("path", "/")
    request = urllib.request.Request(url, headers={**headers, "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        status = response.status
    return {"instance": INSTANCE, "expiresAt": envelope["expiresAt"], "status": status}


if __name__ == "__main__":
    print(json.dumps(handler({"path": "/"}, None)))
