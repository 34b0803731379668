"""The snippets' package: each snippet is the module patterns.<key>.<stem> of the build tree.

A regular package, so that no `patterns` module elsewhere on sys.path can shadow it; each
patterns/<key>/ folder beneath it is a namespace package.
"""
