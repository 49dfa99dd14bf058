"""The embedded AWS for development and tests: moto, provisioned from template.yaml, plus an HTTP gateway.

Never packaged into a Lambda function or layer.
"""
