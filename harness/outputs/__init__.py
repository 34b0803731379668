"""What a run leaves for people and machines: results.json (results), JUnit XML (junit), SVG
timelines (timeline), the coverage of the project's lists (coverage), the HTML report (report/) and
the Markdown reference and docs checks (docs/)."""
