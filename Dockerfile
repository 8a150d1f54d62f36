FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml ./
COPY project ./project
COPY workflows ./workflows
COPY notifications ./notifications
COPY locale ./locale
COPY manage.py ./
RUN pip install --no-cache-dir ".[prod]"
