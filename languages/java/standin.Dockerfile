# Stand-in for the official eclipse-temurin image (`make standin-images`): the local JDK, or for
# another version Debian's OpenJDK package, at /opt/java/openjdk, JAVA_HOME and PATH as the official
# image sets them.
FROM {{ base }}
{% if packages -%}
RUN apt-get -o Acquire::Check-Valid-Until=false update \
 && apt-get install -y --no-install-recommends {{ packages | join(" ") }} \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /opt/java && ln -s /usr/lib/jvm/java-{{ major }}-openjdk-amd64 /opt/java/openjdk
{% else -%}
COPY toolchain /opt/java/openjdk
{% endif -%}
ENV JAVA_HOME=/opt/java/openjdk JAVA_VERSION=jdk-{{ version or major }} PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
