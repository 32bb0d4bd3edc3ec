# A stand-in for the official redis image, for machines that reach no image registry
# (scripts/docker-local-images.sh builds it): Debian's Redis 7 run as the redis user from /data, on
# every interface without protected mode (the official image's defaults), so that other containers of
# the compose network reach it.
ARG BASE_IMAGE=dashtam-local/debian:bookworm
FROM ${BASE_IMAGE}
RUN apt-get update \
    && apt-get install --yes --no-install-recommends redis-server \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /data && chown redis:redis /data
COPY redis-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
VOLUME /data
WORKDIR /data
ENTRYPOINT ["docker-entrypoint.sh"]
EXPOSE 6379
CMD ["redis-server"]
