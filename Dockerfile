FROM python:3.11-slim
# Fallback fonts so printed documents show names in any script (bot/documents/fonts.py).
RUN apt-get update && apt-get install -y --no-install-recommends \
        fonts-noto-core fonts-noto-cjk fonts-symbola \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
# The base image's pip and setuptools are old (setuptools 65 has known advisories).
RUN pip install --no-cache-dir --upgrade "pip>=25.0" "setuptools>=78.1.1" "wheel>=0.46.2" \
    && pip install --no-cache-dir .
COPY knowledge ./knowledge
# The labelled questions, so `gratibot kb eval` runs in the image (knowledge/README.md).
# Every batch, by pattern: a batch listed one by one here was once left out of the image.
COPY tests/knowledge/*.yaml ./tests/knowledge/
RUN useradd --system --home /app gratibot && mkdir -p /data && chown gratibot /data
USER gratibot
EXPOSE 8000
CMD ["gratibot", "serve", "--host", "0.0.0.0", "--port", "8000"]
