# Stand-in for the official golang image, for machines that cannot pull it (`make standin-images`):
# the local Go toolchain where the official image keeps it, with the same environment.
FROM {{ base }}
COPY toolchain /usr/local/go
ENV GOLANG_VERSION={{ version }} GOPATH=/go PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN mkdir -p /go/bin /go/src && chmod -R 1777 /go
WORKDIR /go
