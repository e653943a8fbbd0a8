Console.WriteLine("sojourn");
