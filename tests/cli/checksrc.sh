# The source passes scripts/checksrc (no sprintf, strcpy, strcat, strtok, atoi, gets).
cd "${TR_SOURCE_DIR:?}" || exit 1
command -v git >/dev/null && [ -e .git ] || { echo "not a git checkout: skipped"; exit 77; }
if scripts/checksrc; then echo "1 passed, 0 failed"; else echo "0 passed, 1 failed"; exit 1; fi
