# Stand-in for the official eclipse-temurin image (`make standin-images`): the local JDK at
# /opt/java/openjdk, JAVA_HOME and PATH as the official image sets them.
FROM {{ base }}
COPY toolchain /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk JAVA_VERSION=jdk-{{ version }} PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
