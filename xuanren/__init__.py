"""xuanren (选任): selection and appointment of leading cadres, open and verifiable."""

__version__ = "0.1.0"
