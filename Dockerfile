FROM python:3.11-slim
WORKDIR /app
# WeasyPrint (the export's PDF) needs Pango and HarfBuzz; DejaVu renders å, ä, ö.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml ./
COPY project ./project
COPY workflows ./workflows
COPY notifications ./notifications
COPY promises ./promises
COPY locale ./locale
COPY manage.py ./
RUN pip install --no-cache-dir ".[prod]"
