"""Access: monitoring bodies, their negotiations with states for access, the guarantees, and benchmarks."""
