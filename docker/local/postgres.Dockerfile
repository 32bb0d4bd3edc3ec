# A stand-in for the official postgres image, for machines that reach no image registry
# (scripts/docker-local-images.sh builds it): Debian's PostgreSQL (15 on bookworm) behind an entrypoint
# that honours what compose.yaml and compose.test.yaml use of the official one — POSTGRES_USER,
# POSTGRES_PASSWORD, POSTGRES_DB, PGDATA, /docker-entrypoint-initdb.d and `postgres -c …` commands.
ARG BASE_IMAGE=dashtam-local/debian:bookworm
FROM ${BASE_IMAGE}
# Only the server's binaries: the image runs no Debian cluster of its own.
RUN mkdir -p /etc/postgresql-common \
    && echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.conf \
    && apt-get update \
    && apt-get install --yes --no-install-recommends postgresql \
    && rm -rf /var/lib/apt/lists/* \
    && ls /usr/lib/postgresql/*/bin/postgres \
    && ln -s "$(ls -d /usr/lib/postgresql/*/bin)" /usr/local/lib/postgresql-bin \
    && mkdir -p /docker-entrypoint-initdb.d /var/run/postgresql \
    && chown postgres:postgres /var/run/postgresql
ENV PATH=/usr/local/lib/postgresql-bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PGDATA=/var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
VOLUME /var/lib/postgresql/data
ENTRYPOINT ["docker-entrypoint.sh"]
# PostgreSQL's fast shutdown, as in the official image.
STOPSIGNAL SIGINT
EXPOSE 5432
CMD ["postgres"]
