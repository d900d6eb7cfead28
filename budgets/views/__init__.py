"""Thin views: parse, call a service or a selector, answer. Outside the person's scope is a 404."""
