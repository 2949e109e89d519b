# briefbot: `briefbot serve` on port 3000 (Slack events, /healthz, /readyz, /metrics).
#   docker build -t briefbot .
#   docker run -p 3000:3000 -e SLACK_BOT_TOKEN=… -e SLACK_SIGNING_SECRET=… briefbot
# compose.yaml runs it with PostgreSQL.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/briefbot
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY bot ./bot
COPY adapters ./adapters
RUN /opt/briefbot/bin/pip install ".[postgres]"

FROM python:3.11-slim
ENV PATH=/opt/briefbot/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    BRIEFBOT_DB=/data/briefbot.db
RUN useradd --create-home --uid 10001 briefbot \
    && mkdir /data \
    && chown briefbot:briefbot /data
COPY --from=build /opt/briefbot /opt/briefbot
COPY seeds/000_ad45b660a4293367.txt /opt/briefbot/seed.txt
USER briefbot
WORKDIR /home/briefbot
# Build the caches now, as the user that runs the bot, so no start pays for them: jieba's
# dictionary cache (its temp folder, /tmp/jieba.cache), the IDF table and CC-CEDICT
# (~/.cache/briefbot). Briefing the seed proves the image works.
RUN python -c "from bot.text.analyse import preload; preload()" \
    && briefbot brief /opt/briefbot/seed.txt > /dev/null
EXPOSE 3000
VOLUME ["/data"]
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:3000/readyz', timeout=3)"]
ENTRYPOINT ["briefbot"]
CMD ["serve", "--host", "0.0.0.0", "--port", "3000"]
