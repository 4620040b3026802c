# docclass as a container image (docs/scaling.md): Debian 12 slim, built in
# one stage, run in another that has only the runtime packages
# (scripts/runtime-packages, the list scripts/container-check tests with),
# as a non-root user, with docclass as the entrypoint.
#
#   docker build -t docclass .
#   docker run --rm -v "$PWD:/work" docclass extract --config samples/config.json samples/scan.pdf

FROM debian:12-slim AS build
ENV DEBIAN_FRONTEND=noninteractive
COPY . /src/docclass
WORKDIR /src/docclass
# scripts/setup installs the build packages, builds (warnings are errors)
# and the install goes to a prefix the runtime stage copies
RUN sh scripts/setup \
    && cmake --install build --prefix /opt/docclass \
    && /opt/docclass/bin/docclass --version

FROM debian:12-slim
ENV DEBIAN_FRONTEND=noninteractive OMP_THREAD_LIMIT=1
COPY scripts/runtime-packages /tmp/runtime-packages
RUN apt-get update -q \
    && grep -v '^#' /tmp/runtime-packages | xargs apt-get install -y -q --no-install-recommends \
    && rm -rf /var/lib/apt/lists/* /tmp/runtime-packages
COPY --from=build /opt/docclass/bin/docclass /usr/local/bin/docclass
RUN useradd --create-home --uid 10001 docclass
USER docclass
WORKDIR /work
ENTRYPOINT ["docclass"]
CMD ["--help"]
