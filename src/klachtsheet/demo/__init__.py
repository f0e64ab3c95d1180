"""A fictional register for trying everything out: generated data, then the whole loop run on it."""

from klachtsheet.demo.run import DEMO_ACCESS_CODE, prepare_folder, run_demo

__all__ = ["DEMO_ACCESS_CODE", "prepare_folder", "run_demo"]
