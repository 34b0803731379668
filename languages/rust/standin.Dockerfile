# Stand-in for the official rust image (`make standin-images`): the local toolchain under
# RUSTUP_HOME, its tools in CARGO_HOME/bin, both where the official image keeps them.
FROM {{ base }}
COPY toolchain /usr/local/rustup/toolchains/stable-x86_64-unknown-linux-gnu
RUN mkdir -p /usr/local/cargo/bin \
 && for tool in cargo rustc rustdoc; do ln -s /usr/local/rustup/toolchains/stable-x86_64-unknown-linux-gnu/bin/$tool /usr/local/cargo/bin/$tool; done \
 && chmod -R a+w /usr/local/cargo
ENV RUSTUP_HOME=/usr/local/rustup CARGO_HOME=/usr/local/cargo RUST_VERSION={{ version }} PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
