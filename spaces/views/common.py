"""What the view modules share."""

PAGE_SIZE = 25
