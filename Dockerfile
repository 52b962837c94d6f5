# The production image: gunicorn serving Django, static files through WhiteNoise.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 DJANGO_ACCESS_LOG=1
WORKDIR /app

COPY pyproject.toml README.md ./
COPY safety_academy ./safety_academy
COPY courses ./courses
COPY progress ./progress
COPY quizzes ./quizzes
RUN pip install .

COPY . .
RUN DJANGO_DEBUG=0 DJANGO_SECRET_KEY=build-only-collectstatic-key-not-used-at-runtime \
    python manage.py collectstatic --noinput \
 && useradd --create-home --uid 1000 academy \
 && mkdir -p /app/media /app/var && chown -R academy /app/media /app/var
USER academy

EXPOSE 8000
# Django writes the access log (DJANGO_ACCESS_LOG) with the client's address behind trusted proxies.
CMD ["gunicorn", "safety_academy.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
