"""The customer access portal: customers (client companies), their units, the portal accounts seeing them."""
