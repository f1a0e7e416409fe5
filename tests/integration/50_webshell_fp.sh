#!/bin/bash
# Webshell false positives on WordPress, phpMyAdmin, MediaWiki and the Tomcat
# examples (Debian packages); the work is in tests/webshell/fp.sh.
exec bash "$SRCDIR/tests/webshell/fp.sh"
