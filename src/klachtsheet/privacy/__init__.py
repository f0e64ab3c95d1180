"""Privacy (AVG): anonymising, retention, access and erasure requests, the confidential register."""
