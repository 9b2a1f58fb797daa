"""The load stage: readers that turn the user's files (notes, presets, pack files, rosters) into
frozen data, collecting every mistake with its file, line and column."""
