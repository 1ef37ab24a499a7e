"""The Chinese rules every reader uses (text, Markdown, HTML, Word): page chrome and
metadata lines (`chrome`), dates, names, places and regions (`facts`), punctuation
(`punctuation`), Traditional/Simplified script (`script`) and line shapes (`text`)."""
