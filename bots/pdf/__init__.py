"""Reading claim PDFs: file checks, words and lines, layout rules, label-based extraction."""
