"""What the view modules share."""

PAGE_SIZE = 25
MORE_ROWS = 10
