import AuthgearAPI
import CCurl
