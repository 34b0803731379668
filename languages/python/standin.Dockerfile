# Stand-in for the official python image (`make standin-images`): the base's Debian python3,
# found at /usr/local/bin/python3 as in the official image.
FROM {{ base }}
RUN ln -s /usr/bin/python3 /usr/local/bin/python3 && ln -s /usr/bin/python3 /usr/local/bin/python
