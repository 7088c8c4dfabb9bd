#!/usr/bin/env bash
# Stands in for a Python older than 3.11: every version check it is asked fails.
exit 1
