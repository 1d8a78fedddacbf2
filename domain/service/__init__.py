"""After-sales service (售后服务工单, DESIGN §8): tickets, spare-part recommendation, service points."""
