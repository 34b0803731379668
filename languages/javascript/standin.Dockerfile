# Stand-in for the official node image (`make standin-images`): the node executable the local
# runtime uses (the Node 24 in .cache/toolchains/node/ when PATH's is older than 22) at
# /usr/local/bin/node and the image's `node` user (uid 1000).
FROM {{ base }}
COPY toolchain /usr/local/bin/node
RUN groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
ENV NODE_VERSION={{ version }}
